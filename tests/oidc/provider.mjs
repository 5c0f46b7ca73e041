// A real OpenID Provider (the certified oidc-provider package) on 127.0.0.1 for tracker's
// single sign-on tests. It prints one line, `listening <issuer>`, once it serves.
//
// Environment:
//   OIDC_CLIENT_ID, OIDC_CLIENT_SECRET   the one registered client
//   OIDC_REDIRECT_URIS                   comma-separated callback addresses
//   OIDC_POST_LOGOUT_REDIRECT_URIS       comma-separated addresses after logout
//   OIDC_ACCOUNTS_FILE                   JSON: { "login": { "email": ..., ... } },
//                                        read at every sign-in (tests change claims)
//
// It stops when its standard input closes, so it never outlives the tests.
// The sign-in page is this script's own (devInteractions loads web fonts from the
// internet, which a test must not reach): any known login name signs in, and the
// requested scopes are granted at once. "Avbryt" aborts with access_denied.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { parse } from 'node:querystring';

import Provider from 'oidc-provider';

const env = process.env;
const accounts = () => JSON.parse(readFileSync(env.OIDC_ACCOUNTS_FILE, 'utf8'));
const list = (value) => (value || '').split(',').filter(Boolean);
const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><main><h1>${title}</h1>${body}</main></body></html>`;
}

function configuration() {
  return {
    clients: [{
      client_id: env.OIDC_CLIENT_ID,
      client_secret: env.OIDC_CLIENT_SECRET,
      redirect_uris: list(env.OIDC_REDIRECT_URIS),
      post_logout_redirect_uris: list(env.OIDC_POST_LOGOUT_REDIRECT_URIS),
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    // The tracker must send PKCE even though it is a confidential client.
    pkce: { required: () => true },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'groups'],
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource },
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['tracker-test-cookie-key'] },
    async findAccount(ctx, sub) {
      if (!Object.hasOwn(accounts(), sub)) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...accounts()[sub] }) };
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page('Error', `<pre>${escape(JSON.stringify(out))}</pre>`);
    },
  };
}

async function logoutSource(ctx, form) {
  ctx.body = page('Sign out', `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>`);
}

function readBody(req) {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (chunk) => { data += chunk; });
    req.on('end', () => resolve(parse(data)));
  });
}

async function signIn(provider, req, res) {
  const details = await provider.interactionDetails(req, res);
  const form = await readBody(req);
  if (!Object.hasOwn(accounts(), form.login || '')) {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(page('Sign in', `<p role="alert">Unknown login</p>${loginForm(details.uid)}`));
    return;
  }
  const grant = new provider.Grant({ accountId: form.login, clientId: details.params.client_id });
  grant.addOIDCScope(details.params.scope);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, {
    login: { accountId: form.login },
    consent: { grantId },
  }, { mergeWithLastSubmission: false });
}

function loginForm(uid) {
  return `<form method="post" action="/interaction/${uid}/login">
<label for="login">Login</label> <input id="login" name="login" autofocus>
<label for="password">Password</label> <input id="password" name="password" type="password">
<button type="submit">Sign in</button></form>
<form method="post" action="/interaction/${uid}/abort"><button type="submit">Cancel</button></form>`;
}

async function interaction(provider, req, res, uid, action) {
  if (action === 'login' && req.method === 'POST') return signIn(provider, req, res);
  if (action === 'abort' && req.method === 'POST') {
    return provider.interactionFinished(req, res, {
      error: 'access_denied', error_description: 'End-User aborted interaction',
    }, { mergeWithLastSubmission: false });
  }
  await provider.interactionDetails(req, res); // 400s an unknown or expired uid
  res.writeHead(200, { 'content-type': 'text/html' });
  return res.end(page('Sign in', loginForm(escape(uid))));
}

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, configuration());
  const callback = provider.callback();
  server.on('request', (req, res) => {
    const match = /^\/interaction\/([\w-]+)(?:\/(login|abort))?$/.exec(req.url);
    if (!match) return callback(req, res);
    return interaction(provider, req, res, match[1], match[2]).catch((error) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  process.stdout.write(`listening ${issuer}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
