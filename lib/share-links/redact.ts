// A share link that hides who is who: people's names and emails in timeline text become "someone".
// Pure, so the rule is tested without a database.

const escapeForPattern = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** `text` with every name and email of `people` replaced ("Someone" at the start of a sentence). */
export function redactPeople(text: string, people: readonly { name: string; email: string }[]): string {
  // Longest first: "Ann Lee" before "Ann", so a longer name is never half-replaced.
  const words = [...new Set(people.flatMap((p) => [p.email, p.name]).filter((w) => w.trim().length >= 2))].sort(
    (a, b) => b.length - a.length,
  );
  if (words.length === 0) return text;
  // Whole words only: a person called "Al" leaves "Also" alone.
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.map(escapeForPattern).join("|")})(?![\\p{L}\\p{N}])`, "giu");
  return text.replace(pattern, (_match, offset: number) =>
    offset === 0 || /[.:!?]\s*$/.test(text.slice(0, offset)) ? "Someone" : "someone",
  );
}
