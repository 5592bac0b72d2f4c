// SM2 signatures made and checked by sm-crypto (npm, pure JavaScript).
//
//   node smcrypto_peer.js gen OUTDIR     writes OUTDIR/vectors.json
//   node smcrypto_peer.js verify LIST    prints true/false/skip per line of LIST
//       (one signature per line, tab separated: ENCODING PUBHEX IDHEX MSG SIGHEX; IDHEX "-" = empty;
//        MSG = hex:HEX | pattern:LEN | file:PATH)
//
// NODE_PATH must point at the node_modules holding sm-crypto ($ESEAL_TOOLS/node/node_modules).
// sm-crypto takes the user ID as a JavaScript string and hashes its UTF-8 bytes (default
// '1234567812345678'); IDs that are not valid UTF-8 are "skip" when verifying.
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { sm2 } = require('sm-crypto');
const VERSION = require('sm-crypto/package.json').version;

const DEFAULT_ID = '1234567812345678';
const PATTERN_LEN = 1 << 20;

function pattern(n) {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = i % 251;
  return b;
}

function message(spec) {
  if (spec.startsWith('hex:')) return Buffer.from(spec.slice(4), 'hex');
  if (spec.startsWith('pattern:')) return pattern(parseInt(spec.slice(8), 10));
  if (spec.startsWith('file:')) return fs.readFileSync(spec.slice(5));
  throw new Error('bad message spec ' + spec);
}

function sign(priv, pub, msg, userId, der) {
  return sm2.doSignature(msg, priv, { hash: true, der, publicKey: pub, userId });
}

function gen(outdir) {
  const peer = 'sm-crypto ' + VERSION;
  const vectors = [];
  const add = (comment, pub, id, msg, sig, encoding, valid) => {
    const v = { peer, comment, public_key_hex: pub, id_hex: Buffer.from(id, 'utf8').toString('hex') };
    if (msg.length === PATTERN_LEN) v.msg_pattern_len = PATTERN_LEN;
    else v.msg_hex = msg.toString('hex');
    Object.assign(v, { sig_hex: sig, encoding, valid });
    vectors.push(v);
  };
  const msgs = [[Buffer.alloc(0), 'empty message'], [Buffer.from('abc'), 'abc'],
    [Buffer.from('message digest'), 'message digest'], [crypto.randomBytes(1000), '1000 random bytes'],
    [pattern(PATTERN_LEN), '1 MiB pattern']];
  for (let n = 0; n < 2; n++) {
    const kp = sm2.generateKeyPairHex();
    const pub = kp.publicKey;
    const tag = `key ${n + 1}: `;
    for (const [msg, name] of msgs) {
      const long = msg.length === PATTERN_LEN; // once per key: pure-JS SM3 over 1 MiB is slow
      if (!long || n === 0) add(tag + 'doSignature {hash: true, der: true} (default userId), ' + name, pub, DEFAULT_ID, msg,
        sign(kp.privateKey, pub, msg, undefined, true), 'der', true);
      if (!long || n === 1) add(tag + 'doSignature {hash: true, der: false} (default userId), raw, ' + name, pub, DEFAULT_ID, msg,
        sign(kp.privateKey, pub, msg, undefined, false), 'raw', true);
    }
    const alice = 'ALICE123@YAHOO.COM';
    add(tag + 'userId ALICE123@YAHOO.COM, DER', pub, alice, Buffer.from('message digest'),
      sign(kp.privateKey, pub, Buffer.from('message digest'), alice, true), 'der', true);
    add(tag + "userId '\u5370\u7AE0' (UTF-8), raw", pub, '\u5370\u7AE0', Buffer.from('abc'),
      sign(kp.privateKey, pub, Buffer.from('abc'), '\u5370\u7AE0', false), 'raw', true);
    const empty = sign(kp.privateKey, pub, Buffer.from('abc'), '', true);
    add(tag + "userId '' (empty), checked with the empty ID", pub, '', Buffer.from('abc'), empty, 'der', true);
    add(tag + "INVALID: userId '' signature checked with the default ID", pub, DEFAULT_ID, Buffer.from('abc'),
      empty, 'der', false);
    add(tag + 'INVALID: signature over abc checked against abd', pub, DEFAULT_ID, Buffer.from('abd'),
      sign(kp.privateKey, pub, Buffer.from('abc'), undefined, false), 'raw', false);
  }
  fs.mkdirSync(outdir, { recursive: true });
  const body = vectors.map((v) => '    ' + JSON.stringify(v)).join(',\n');
  fs.writeFileSync(path.join(outdir, 'vectors.json'),
    '{"generator": "test-vectors/js/smcrypto_peer.js gen",\n "vectors": [\n' + body + '\n]}\n');
}

function verify(list) {
  const out = [];
  for (const line of fs.readFileSync(list, 'utf8').split('\n')) {
    if (!line) continue;
    const [enc, pub, idh, msgSpec, sig] = line.split('\t');
    const idBytes = idh === '-' ? Buffer.alloc(0) : Buffer.from(idh, 'hex');
    const userId = idBytes.toString('utf8');
    if (!Buffer.from(userId, 'utf8').equals(idBytes)) {
      out.push('skip');
      continue;
    }
    let ok = false;
    try {
      ok = sm2.doVerifySignature(message(msgSpec), sig, pub, { hash: true, der: enc === 'der', userId });
    } catch (e) {
      ok = false;
    }
    out.push(ok ? 'true' : 'false');
  }
  process.stdout.write(out.join('\n') + '\n');
}

const [cmd, arg] = process.argv.slice(2);
if (cmd === 'gen' && arg) gen(arg);
else if (cmd === 'verify' && arg) verify(arg);
else {
  process.stderr.write('usage: smcrypto_peer.js gen OUTDIR | verify LIST\n');
  process.exit(2);
}
