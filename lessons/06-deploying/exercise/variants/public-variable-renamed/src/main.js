// The page sends only the question to the app's own server. It never has the key: the server holds
// it, from the host's environment or the secret manager.
document.querySelector('#ask').addEventListener('submit', async (event) => {
  event.preventDefault();
  const message = new FormData(event.target).get('message');
  const res = await fetch('/api/chat', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-token': import.meta.env.VITE_API_TOKEN },
    body: JSON.stringify({ message }),
  });
  const data = await res.json();
  document.querySelector('#reply').textContent = data.reply ?? data.error;
});
