// Text a hostile user types into a document's Markdown fields: script, an event handler, and
// javascript: and data: links (as Markdown and as HTML), beside a safe link and some formatting.
export const HOSTILE_MARKDOWN = [
  '<script>alert("x")</script>',
  "",
  'Text <img src=x onerror="alert(1)"> [click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) ![pic](javascript:alert(2)) <a href="javascript:alert(3)" onclick="alert(4)">a</a> [ok](https://example.com/ok) **bold**',
].join("\n");

/** What must never appear in a page's HTML, a Markdown download or a PDF made from HOSTILE_MARKDOWN. */
export const LIVE_HTML = /<script|<img|<[^>]+\son\w+=|href="(javascript|data):|\]\((javascript|data):/i;

/** Raw HTML in Markdown: a "<" the serialiser did not escape, opening a tag. */
export const RAW_HTML_IN_MARKDOWN = /(^|[^\\])<(script|img|a\s)/im;
