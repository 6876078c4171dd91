// The remembered order of the timeline: a cookie the panel writes (components/timeline/) and the
// page reads, so the first render is already in the viewer's order.
export const TIMELINE_ORDER_COOKIE = "backout-timeline-order";
