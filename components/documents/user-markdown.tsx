// A person's Markdown on a page: formatted, sanitised (lib/documents/user-markdown.ts), never raw HTML.
import { toJsxRuntime } from "hast-util-to-jsx-runtime";
import { Fragment, jsx, jsxs } from "react/jsx-runtime";
import { userMarkdownHast } from "@/lib/documents/user-markdown";

export function UserMarkdown({
  text,
  empty = "Not written yet.",
  minDepth = 3,
}: {
  text: string | null | undefined;
  empty?: string;
  minDepth?: number;
}) {
  if (!text?.trim()) return <p className="text-sm italic text-muted">{empty}</p>;
  return (
    <div className="user-markdown space-y-2 text-sm leading-relaxed [&_a]:text-accent [&_a]:underline [&_blockquote]:border-l-2 [&_blockquote]:pl-3 [&_code]:rounded [&_code]:bg-surface-2 [&_code]:px-1 [&_h3]:font-semibold [&_h4]:font-semibold [&_h5]:font-medium [&_ol]:list-decimal [&_ol]:pl-5 [&_pre]:overflow-x-auto [&_table]:text-xs [&_td]:border [&_td]:px-2 [&_th]:border [&_th]:px-2 [&_ul]:list-disc [&_ul]:pl-5">
      {toJsxRuntime(userMarkdownHast(text, minDepth), { Fragment, jsx, jsxs })}
    </div>
  );
}
