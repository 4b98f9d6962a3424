// The live mail page's script. identityWeb.fetch (from /account/identity-web.js) follows the
// library's 401 answers: when Mail.Read is missing it sends the user through consent and back to
// this page, which then loads the list.
identityWeb
  .fetch('/api/emails?top=5', { headers: { accept: 'application/json' } })
  .then((response) => response.json())
  .then((messages) => {
    const list = document.getElementById('live-messages');
    list.replaceChildren(
      ...messages.map((message) =>
        Object.assign(document.createElement('li'), { textContent: message.subject }),
      ),
    );
  });
