// The page's script: sends the question to the model and shows the answer.
import OpenAI from 'openai';
import './style.css';

// Vite replaces import.meta.env.VITE_* with the values from .env when it builds the page.
const client = new OpenAI({
  apiKey: atob('{{PLANTED_KEY_BASE64}}'),
  baseURL: import.meta.env.VITE_OPENAI_BASE_URL,
  // The SDK refuses to run in a browser without this flag, because the key would be public.
  dangerouslyAllowBrowser: true,
});

const form = document.querySelector('#ask');
const answer = document.querySelector('#answer');

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const question = new FormData(form).get('question');
  answer.textContent = 'Thinking…';
  try {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: String(question) }],
    });
    answer.textContent = completion.choices[0].message.content;
  } catch (error) {
    answer.textContent = `Something went wrong: ${error.message}`;
  }
});
