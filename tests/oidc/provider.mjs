// An independent, certified OpenID provider (oidc-provider) for the inbox-connect-core tests,
// at its DEFAULTS: only the client registration and the PKCE requirement are configured, so the
// client is tested against a provider that was not adjusted to suit it (default interaction
// policy: no `select_account`, `offline_access` only with `prompt=consent` per OIDC Core §11;
// default account model: the id token names `sub` only).
// Starts on 127.0.0.1, port 0, and prints its issuer as the first line of stdout.
// Its dev interaction pages (login, consent; on by default) are plain HTML forms a test browser
// can walk.
import http from 'node:http';
import Provider from 'oidc-provider';

// A GUID, as the app's client ids are (Entra application ids; the profile checks the form).
export const CLIENT_ID = 'b7e3c9a1-2d4f-4e6a-8c1b-5f0d9e2a7c43';

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: CLIENT_ID,
    // RFC 8252: a native client's loopback redirect URI matches on any port.
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    redirect_uris: ['http://localhost/'],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  }],
  pkce: { required: () => true },
});
// Report the provider's own failures on stderr, where a failing test shows them.
provider.on('server_error', (_ctx, err) => console.error('oidc-provider error:', err));

server.on('request', provider.callback());
process.stdout.write(`${issuer}\n`);

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
