// A real OpenID provider for SafePath's single sign-on tests: node `oidc-provider` (a certified
// OpenID Connect implementation) on 127.0.0.1, a port the system picks. Test-only: accounts are
// synthetic and anyone may sign in as any of them by typing its id on the login form.
//
// Configuration comes as JSON in the OIDC_TEST_CONFIG environment variable:
//   {"clients": [{"client_id", "client_secret", "redirect_uris": [...]}],
//    "accounts": {"<id>": {"claims": {...}, "amr": ["pwd", "otp"], "acr": "..."}}}
// Once it listens it prints one line, `issuer <url>`, on stdout; it stops on SIGTERM.

import http from 'node:http';
import { generateKeyPair, exportJWK } from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(process.env.OIDC_TEST_CONFIG || '{}');
const accounts = config.accounts || {};

const server = http.createServer();
await new Promise((resolve) => { server.listen(0, '127.0.0.1', resolve); });
const issuer = `http://127.0.0.1:${server.address().port}`;

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const signingKey = { ...(await exportJWK(privateKey)), kid: 'test-op-1', alg: 'RS256', use: 'sig' };

const acrValues = [...new Set(Object.values(accounts).map((a) => a.acr).filter(Boolean))];

const provider = new Provider(issuer, {
  clients: (config.clients || []).map((client) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    ...client,
  })),
  jwks: { keys: [signingKey] },
  cookies: { keys: ['safepath-test-op-cookie-key'] },
  claims: {
    openid: ['sub', 'acr', 'amr', 'auth_time'],  // how the person signed in, in every ID token
    profile: ['name', 'given_name', 'family_name', 'preferred_username'],
    email: ['email', 'email_verified'],
    groups: ['groups'],
  },
  scopes: ['openid', 'profile', 'email', 'groups'],
  acrValues,
  // Scope claims in the ID token itself, as Keycloak and Entra put groups there by a mapper.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    if (!accounts[id]) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...accounts[id].claims }; } };
  },
  // First-party clients: consent is implied (no consent page).
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid profile email groups');
    await grant.save();
    return grant;
  },
});
provider.on('server_error', (ctx, error) => { console.error('server_error', error); });

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (req.method === 'GET') {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="en"><head><title>Test identity provider</title></head>
<body><h1>Test identity provider</h1>
<form method="post" action="/interaction/${escape(uid)}/login">
<label>Account <input name="login" autofocus></label>
<button type="submit">Continue</button></form></body></html>`);
    return;
  }
  if (action !== 'login') throw new Error('unknown action');
  let body = '';
  for await (const chunk of req) body += chunk;
  const accountId = new URLSearchParams(body).get('login') || '';
  const account = accounts[accountId];
  const result = account
    ? { login: { accountId, amr: account.amr || ['pwd'], ...(account.acr ? { acr: account.acr } : {}) } }
    : { error: 'access_denied', error_description: 'unknown test account' };
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

const handle = provider.callback();
server.on('request', (req, res) => {
  const match = /^\/interaction\/([^/]+)(?:\/(\w+))?$/.exec(req.url.split('?')[0]);
  if (!match) { handle(req, res); return; }
  interaction(req, res, match[1], match[2]).catch((error) => {
    console.error(error);
    res.statusCode = 400;
    res.end('interaction failed');
  });
});

process.on('SIGTERM', () => { server.close(); process.exit(0); });
console.log(`issuer ${issuer}`);
