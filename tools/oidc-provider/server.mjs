// A real OpenID Connect provider (panva's certified oidc-provider) for the portal's single
// sign-on tests only: never for production. Run as `node server.mjs config.json`; it listens on
// 127.0.0.1 and prints "READY <issuer>" on stdout when it is ready. Everything else goes to
// stderr. See README.md for the config.
//
// Clients may misbehave on purpose, for the relying party's negative tests: "wrong-audience"
// gets ID tokens whose aud names another service, "expired" gets ID tokens that expired an hour
// ago. Both are re-signed with the provider's own key, so only those claims are wrong.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { format } from "node:util";

import * as jose from "jose";
import Provider, { interactionPolicy } from "oidc-provider";

// stdout carries the READY line and nothing else: the library's notices go to stderr too.
for (const name of ["log", "info", "debug"]) {
  console[name] = (...args) => process.stderr.write(`${format(...args)}\n`);
}

const BEHAVIOURS = new Set(["normal", "wrong-audience", "expired"]);

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const accounts = new Map((config.accounts || []).map((account) => [account.login, account]));
const behaviours = new Map();
for (const client of config.clients || []) {
  const behaviour = client.behaviour || "normal";
  if (!BEHAVIOURS.has(behaviour)) {
    throw new Error(`client ${client.client_id}: unknown behaviour ${JSON.stringify(behaviour)}`);
  }
  behaviours.set(client.client_id, behaviour);
}

// A fresh RSA signing key on every start: the relying party reads it from the JWKS.
const { privateKey } = await jose.generateKeyPair("RS256", { extractable: true });
const signingKey = {
  ...(await jose.exportJWK(privateKey)),
  kid: "test-signing-key",
  alg: "RS256",
  use: "sig",
};

// The sign-in form on every authorization request, even with a session from an earlier one, so
// each test signs in as the account it names. Consent already given is not asked again.
const policy = interactionPolicy.base();
policy.get("login").checks.add(
  new interactionPolicy.Check(
    "test_provider_asks_every_time",
    "this test provider asks who is signing in on every authorization request",
    (ctx) => !ctx.oidc.result?.login,
  ),
);

const server = createServer();
await new Promise((resolve, reject) => {
  server.once("error", reject);
  server.listen(config.port || 0, "127.0.0.1", resolve);
});
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: (config.clients || []).map((client) => ({
    client_id: client.client_id,
    client_secret: client.client_secret,
    redirect_uris: client.redirect_uris,
    response_types: ["code"],
    grant_types: ["authorization_code"],
    // Registered as basic; oidc-provider accepts client_secret_post from such a client too.
    token_endpoint_auth_method: "client_secret_basic",
  })),
  jwks: { keys: [signingKey] },
  responseTypes: ["code"],
  // Every client must use PKCE with S256, so a relying party that does not is refused.
  pkce: { methods: ["S256"], required: () => true },
  scopes: ["openid", "email", "profile"],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  // The email and name go in the ID token, as Entra ID and Google put them there.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  // Plain http on loopback: no Secure cookies (ctx.secure is false), and Lax rather than None,
  // which browsers refuse without Secure.
  cookies: {
    keys: ["test-only-cookie-key"],
    long: { httpOnly: true, sameSite: "lax", signed: true },
    short: { httpOnly: true, sameSite: "lax", signed: true },
  },
  interactions: { policy, url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const account = accounts.get(sub);
    if (!account) return undefined;
    return {
      accountId: sub,
      async claims() {
        const claims = { sub, email: account.email, email_verified: account.email_verified ?? true };
        if (account.name !== undefined) claims.name = account.name;
        return claims;
      },
    };
  },
});

for (const event of [
  "server_error",
  "authorization.error",
  "grant.error",
  "userinfo.error",
  "discovery.error",
  "jwks.error",
]) {
  provider.on(event, (...args) => {
    const error = args.find((arg) => arg instanceof Error);
    console.error(`oidc-provider ${event}: ${error?.message} ${error?.error_description || ""}`);
  });
}

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const loginPage = (uid, error) => `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${error ? "Error: " : ""}Sign in to the test provider</title>
</head>
<body>
<main>
<h1>Sign in to the test provider</h1>
${error ? `<p id="login-error" role="alert">${escape(error)}</p>\n` : ""}<form method="post" action="/interaction/${escape(uid)}/login">
<label for="login">Username</label>
<input id="login" name="login" type="text" autocomplete="username" spellcheck="false"${
  error ? ' aria-describedby="login-error" aria-invalid="true"' : ""
}>
<button type="submit">Sign in</button>
</form>
</main>
</body>
</html>
`;

async function formBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 65536) throw new Error("form too large");
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

// Sign-in and consent: a username form, and consent granted at once for whatever was asked.
provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([^/]+)(\/login)?$/);
  if (!match) return next();
  ctx.set("Cache-Control", "no-store");
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const { prompt, params, session } = details;

  if (prompt.name === "login") {
    if (ctx.method === "POST" && match[2]) {
      const login = ((await formBody(ctx.req)).get("login") || "").trim();
      if (accounts.has(login)) {
        const to = await provider.interactionResult(
          ctx.req,
          ctx.res,
          { login: { accountId: login } },
          { mergeWithLastSubmission: false },
        );
        return ctx.redirect(to);
      }
      ctx.type = "html";
      ctx.body = loginPage(details.uid, "There is no account with that username");
      return undefined;
    }
    ctx.type = "html";
    ctx.body = loginPage(details.uid);
    return undefined;
  }

  if (prompt.name === "consent") {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    const missing = prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes || {})) {
      grant.addResourceScope(indicator, scopes.join(" "));
    }
    const grantId = await grant.save();
    const to = await provider.interactionResult(
      ctx.req,
      ctx.res,
      { consent: { grantId } },
      { mergeWithLastSubmission: true },
    );
    return ctx.redirect(to);
  }

  ctx.status = 400;
  ctx.body = `unexpected prompt ${prompt.name}`;
  return undefined;
});

// The misbehaving clients' ID tokens, changed after the token endpoint made them and re-signed
// with the same key and header, so only the changed claims are wrong.
provider.use(async (ctx, next) => {
  await next();
  if (ctx.method !== "POST" || ctx.path !== "/token" || ctx.status !== 200) return;
  const idToken = ctx.body?.id_token;
  const behaviour = behaviours.get(ctx.oidc?.client?.clientId);
  if (typeof idToken !== "string" || !behaviour || behaviour === "normal") return;
  const header = jose.decodeProtectedHeader(idToken);
  const claims = jose.decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  if (behaviour === "wrong-audience") claims.aud = "some-other-service";
  if (behaviour === "expired") Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  const resigned = await new jose.SignJWT(claims).setProtectedHeader(header).sign(privateKey);
  ctx.body = { ...ctx.body, id_token: resigned };
  console.error(`oidc-provider: ${behaviour} ID token for client ${ctx.oidc.client.clientId}`);
});

server.on("request", provider.callback());

function stop(signal) {
  console.error(`oidc-provider: ${signal}, stopping`);
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));

process.stdout.write(`READY ${issuer}\n`);
