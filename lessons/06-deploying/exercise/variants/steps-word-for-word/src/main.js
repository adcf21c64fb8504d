// The page sends the question to the app's own server.
// The server checks the key the page sends, "so only our page can use the API".

document.querySelector('#ask').addEventListener('submit', async (event) => {
  event.preventDefault();
  const message = new FormData(event.target).get('message');
  const res = await fetch('/api/chat', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message }),
  });
  const data = await res.json();
  document.querySelector('#reply').textContent = data.reply ?? data.error;
});
