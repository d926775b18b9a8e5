// Gets an IAM token with IBM's Node SDK core (ibm-cloud-sdk-core), as an IBM SDK on an
// instance would, and prints the outcome as one JSON line.
//
// Usage: node vpc_token.js URL VERSION SELECTOR VALUE LIFETIME
// SELECTOR is default, id, crn or name; VERSION is what the SDK sends (2022-03-01 or 2025-08-26).
'use strict';
const { VpcInstanceAuthenticator } = require('ibm-cloud-sdk-core');

const [url, version, selector, value, lifetime] = process.argv.slice(2);
const options = { url, serviceVersion: version, tokenLifetime: Number(lifetime) };
const field = { id: 'iamProfileId', crn: 'iamProfileCrn', name: 'iamProfileName' }[selector];
if (field) {
  options[field] = value;
}
const authenticator = new VpcInstanceAuthenticator(options);
authenticator.tokenManager.getToken().then(
  (token) => {
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    console.log(JSON.stringify({ ok: true, claims }));
  },
  (e) => console.log(JSON.stringify({ ok: false, status: e.status, message: e.message })),
);
