import { signatureHeader } from '../../../src/shared/webhook-signature.js';

describe('webhook signatures', () => {
  it('signs "<t>.<raw body>" with HMAC-SHA256, as an independent implementation (Python hmac) does', () => {
    expect(signatureHeader('whsec_x', '{"id":"e1"}', 1_700_000_000.9)).toBe(
      't=1700000000,v1=a79a45f1785723c7934efae43dd0da7bcc729155a9006f33c0c68f99e4d22add',
    );
  });

  it('changes with the secret, the body and the time', () => {
    const base = signatureHeader('whsec_x', '{"id":"e1"}', 1_700_000_000);
    expect(signatureHeader('whsec_y', '{"id":"e1"}', 1_700_000_000)).not.toBe(base);
    expect(signatureHeader('whsec_x', '{"id":"e2"}', 1_700_000_000)).not.toBe(base);
    expect(signatureHeader('whsec_x', '{"id":"e1"}', 1_700_000_001)).not.toBe(base);
  });
});
