"use client";

// The incident page's folds (components/incidents/incident-layout.tsx), in the browser.
// A link to a section inside a closed fold (the "Now" line's "Decision ↓", a shared #rollback URL)
// opens the fold before the browser scrolls to it, so a link never lands on something hidden.
import { useEffect } from "react";

function openFoldOf(id: string): void {
  const target = id ? document.getElementById(id) : null;
  const fold = target?.closest("details");
  if (fold && !fold.open) fold.open = true;
  target?.scrollIntoView({ block: "start" });
}

export function OpenFoldOnHash() {
  useEffect(() => {
    if (location.hash) openFoldOf(decodeURIComponent(location.hash.slice(1)));
    const onClick = (event: MouseEvent) => {
      const link = (event.target as Element | null)?.closest?.("a[href^='#']");
      if (link) openFoldOf(decodeURIComponent((link.getAttribute("href") ?? "#").slice(1)));
    };
    document.addEventListener("click", onClick);
    return () => document.removeEventListener("click", onClick);
  }, []);
  return null;
}

/** Narrower than Tailwind's `lg`: where a responder's page puts the timeline before the sections. */
const PHONE = "(max-width: 63.99rem)";

/** On a phone, folds a responder's operational sections once, after load, but not the one a link points into. */
export function FoldOnPhone() {
  useEffect(() => {
    if (!window.matchMedia(PHONE).matches) return;
    const target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    for (const fold of document.querySelectorAll<HTMLDetailsElement>("details.ops-fold[open]")) {
      if (!target || !fold.contains(target)) fold.open = false;
    }
  }, []);
  return null;
}
