// An approximate tokenizer: about four characters per token, the rule of thumb OpenAI documents for
// English text. Good enough for token counts and spend that add up; not a real BPE tokenizer.
export function countTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}

/** Chat prompt tokens: content tokens plus 3 per message and 3 for the reply primer (OpenAI cookbook). */
export function countChatPromptTokens(messages: ReadonlyArray<{ content?: unknown }>): number {
  let total = 3;
  for (const msg of messages) total += 3 + countTokens(contentText(msg.content));
  return total;
}

/** Text of a message content: a string, or the text parts of a content array. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : ''))
      .join('');
  }
  return '';
}

/** Split text into token-sized pieces for streaming (words, so the deltas read naturally). */
export function splitForStream(text: string): string[] {
  const pieces = text.match(/\S+\s*|\s+/g);
  return pieces ?? [];
}
