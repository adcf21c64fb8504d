// Where the server gets the OpenAI key.
export async function getKey(req) {
  // The page sends it with every request.
  return req.headers.authorization?.replace(/^Bearer /, '');
}
