// `npm test`: after a deploy, one real call proves the key works.
import OpenAI from 'openai';

const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY ?? process.env.VITE_OPENAI_API_KEY });
const models = await client.models.list();
console.log(`The key works: ${models.data.length} models available.`);
