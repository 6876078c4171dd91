"use client";

// Re-renders the server parts of the page when the live channel says something changed that the
// page does not show yet (see IncidentStreamProvider's refreshFor).
import { type LiveTopic, useRefreshOnEvents } from "./incident-stream";

export function RefreshOnEvents({ topics }: { topics: readonly LiveTopic[] }) {
  useRefreshOnEvents(topics);
  return null;
}
