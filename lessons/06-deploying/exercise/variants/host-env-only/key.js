// The key comes from the host's environment settings (OPENAI_API_KEY), on the server only.
export async function getKey() {
  return process.env.OPENAI_API_KEY;
}
