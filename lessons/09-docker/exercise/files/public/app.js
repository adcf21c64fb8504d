// The page asks the app's own server; it never sees the key.
const welcome = await fetch('/welcome.json').then((r) => (r.ok ? r.json() : null));
if (welcome) document.querySelector('#welcome').textContent = welcome.welcome;

document.querySelector('#ask').addEventListener('submit', async (event) => {
  event.preventDefault();
  const message = new FormData(event.target).get('message');
  const res = await fetch('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message }) });
  const data = await res.json();
  document.querySelector('#reply').textContent = data.reply ?? data.error;
});
