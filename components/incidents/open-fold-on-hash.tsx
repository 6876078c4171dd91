"use client";

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
