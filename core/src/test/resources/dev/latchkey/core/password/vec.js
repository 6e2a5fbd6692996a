const b = require('bcryptjs'); const hw = require('hash-wasm');
(async () => {
  const enc = s => new TextEncoder().encode(s);
  const pw = 'correct horse battery staple', uni = 'pässwörd€ 🔑', long = 'x'.repeat(72) + 'tail-beyond-72-bytes', lig = 'ﬁnd me';
  console.log('bcryptjs 2b', JSON.stringify(pw), b.hashSync(pw, b.genSaltSync(4)));
  console.log('bcryptjs 2a', JSON.stringify(uni), b.hashSync(uni, b.genSaltSync(5, 'a')));
  console.log('bcryptjs 2b', JSON.stringify(long), b.hashSync(long, b.genSaltSync(4)));
  console.log('bcryptjs 2b', JSON.stringify(lig), b.hashSync(lig, b.genSaltSync(4)));
  console.log('hash-wasm', JSON.stringify(pw), await hw.bcrypt({password: pw, salt: enc('0123456789abcdef'), costFactor: 6, outputType: 'encoded'}));
  console.log('hash-wasm', JSON.stringify(pw), await hw.argon2id({password: pw, salt: enc('latchkey-salt-01'), parallelism: 1, iterations: 1, memorySize: 64, hashLength: 32, outputType: 'encoded'}));
  console.log('hash-wasm', JSON.stringify(uni), await hw.argon2id({password: uni, salt: enc('latchkey-salt-02'), parallelism: 2, iterations: 3, memorySize: 256, hashLength: 24, outputType: 'encoded'}));
  console.log('hash-wasm', JSON.stringify(pw), await hw.argon2i({password: pw, salt: enc('latchkey-salt-03'), parallelism: 1, iterations: 2, memorySize: 128, hashLength: 32, outputType: 'encoded'}));
  console.log('hash-wasm', JSON.stringify(pw), await hw.argon2d({password: pw, salt: enc('latchkey-salt-04'), parallelism: 4, iterations: 1, memorySize: 64, hashLength: 32, outputType: 'encoded'}));
  console.log('hash-wasm', JSON.stringify(pw), await hw.argon2id({password: pw, salt: enc('latchkey-salt-05'), parallelism: 1, iterations: 2, memorySize: 19456, hashLength: 32, outputType: 'encoded'}));
})();
