// A real OpenID Connect provider for the SSO tests: panva's oidc-provider (certified), on loopback.
// It signs ID tokens with an RSA key made at start-up and logs in any of the accounts it is given
// through its development login page (any password). Started by tests/sso/providers.py:
//   node server.mjs  with  OIDC_PORT, OIDC_CLIENTS (JSON list), OIDC_ACCOUNTS (JSON: login -> claims)
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.OIDC_CLIENTS);
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS);

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key-1', use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [jwk] },
  cookies: { keys: ['stegvis-test-cookie-key'] },
  claims: {
    openid: ['sub', 'tid', 'hd'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  // Every claim in the ID token too (Entra and Google put tid/hd/email there).
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    const claims = accounts[id];
    if (!claims) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
});
provider.proxy = false;
provider.listen(port, '127.0.0.1', () => { console.log(`ready ${issuer}`); });
