/**
 * Reads a JSONL file over HTTP one line at a time, without holding the file in memory (a large
 * shop's order history is hundreds of megabytes). Lines are numbered from 0 so a reader can skip
 * the ones an earlier, interrupted run already handled.
 */
export async function* readJsonLines(url: string, options: { fetch?: typeof fetch } = {}): AsyncGenerator<{ index: number; text: string }> {
  const response = await (options.fetch ?? fetch)(url);
  if (!response.ok || !response.body) {
    throw new Error(`Downloading the bulk operation result failed: HTTP ${response.status}.`);
  }
  const decoder = new TextDecoder("utf-8");
  let buffered = "";
  let index = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    let start = 0;
    let newline = buffered.indexOf("\n", start);
    while (newline >= 0) {
      const text = buffered.slice(start, newline).replace(/\r$/, "");
      if (text.trim() !== "") yield { index, text };
      index += 1;
      start = newline + 1;
      newline = buffered.indexOf("\n", start);
    }
    buffered = buffered.slice(start);
  }
  buffered += decoder.decode();
  if (buffered.trim() !== "") yield { index, text: buffered.replace(/\r$/, "") };
}
