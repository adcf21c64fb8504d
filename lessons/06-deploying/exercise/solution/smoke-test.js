// `npm test`: after a deploy, one real call proves the key works.
import OpenAI from 'openai';

// No options: the SDK reads OPENAI_API_KEY from the environment (the workflow gives it from secrets).
const client = new OpenAI();
const models = await client.models.list();
console.log(`The key works: ${models.data.length} models available.`);
