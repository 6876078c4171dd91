// Reading a body no bigger than a limit, from the stream: a Content-Length can be left out
// (chunked transfer) or lie, so the limit holds only if it is counted while reading. Reading
// stops, and the rest is cancelled, as soon as the limit is passed.

/** At most `limit` bytes of a body (plus the chunk that crossed it); `truncated` when there was more. */
export async function readBodyLimited(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<{ bytes: Buffer; truncated: boolean }> {
  if (!body) return { bytes: Buffer.alloc(0), truncated: false };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size <= limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return { bytes: Buffer.concat(chunks), truncated: size > limit };
}
