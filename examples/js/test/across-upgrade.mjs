// The definitions through @polkadot/api against a dev node, across a runtime upgrade by sudo
// `set_code`, on one connection that stays open:
//   node test/across-upgrade.mjs ws://127.0.0.1:9944 NEW_RUNTIME.wasm
// Before and after the upgrade: api.rpc.bittensor.* and api.call.bittensorApi.* answer and agree,
// a WeightsSet event's fields read by their names, and @polkadot/api warns of nothing
// undecorated. Prints one JSON line of what it saw; exits 1 on the first failure.
import { readFileSync } from 'node:fs';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { rpc, runtime, types } from '../index.js';

const [url, wasmPath] = process.argv.slice(2);
if (!url || !wasmPath) {
  console.error('usage: node test/across-upgrade.mjs WS_URL NEW_RUNTIME.wasm');
  process.exit(2);
}

// What @polkadot/api logs (its warnings go through console), to look for "not decorated".
const logged = [];
for (const level of ['log', 'warn', 'error']) {
  const original = console[level].bind(console);
  console[level] = (...args) => { logged.push(args.map(String).join(' ')); original(...args); };
}

function check (ok, what) {
  if (!ok) throw new Error(`check failed: ${what}`);
}

const withTimeout = (promise, ms, what) => Promise.race([
  promise,
  new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms))
]);

/** Signs and sends `tx` with `pair`, resolving with its events once it is in a block. */
function send (tx, pair) {
  return withTimeout(new Promise((resolve, reject) => {
    tx.signAndSend(pair, ({ status, events, dispatchError }) => {
      if (dispatchError) reject(new Error(`dispatch error: ${dispatchError.toString()}`));
      else if (status.isInBlock || status.isFinalized) resolve({ events, block: status.isInBlock ? status.asInBlock : status.asFinalized });
    }).catch(reject);
  }), 60000, `${tx.method.section}.${tx.method.method}`);
}

/** The state through both doors: the RPC's JSON and the runtime API's decoded types. */
async function read (api) {
  const rpcNeurons = (await api.rpc.bittensor.getNeurons()).toJSON();
  const rpcParams = (await api.rpc.bittensor.getParams()).toJSON();
  const apiNeurons = (await api.call.bittensorApi.neurons()).toJSON();
  const apiParams = (await api.call.bittensorApi.params()).toJSON();
  const lite = (await api.call.bittensorApi.neuronsLite()).toJSON();
  const row = (await api.rpc.bittensor.getWeights(0)).toJSON();
  check(Array.isArray(rpcNeurons) && Array.isArray(row), 'lists read back as arrays');
  check(JSON.stringify(row) === JSON.stringify(rpcNeurons[0].weights), 'getWeights(0) is neuron 0\'s row');
  check(rpcNeurons.length === apiNeurons.length && rpcNeurons.length > 0, 'the RPC and the runtime API list the same neurons');
  for (let i = 0; i < rpcNeurons.length; i++) {
    check(rpcNeurons[i].uid === apiNeurons[i].uid, `uid ${i}`);
    check(rpcNeurons[i].account === api.createType('AccountId', apiNeurons[i].account).toString(), `account of ${i}`);
    check(rpcNeurons[i].weights.length === apiNeurons[i].weights.length, `row length of ${i}`);
  }
  check(rpcParams.maxNeurons === apiParams.maxNeurons && rpcParams.neuronCount === apiParams.neuronCount, 'params agree');
  check(lite.length === rpcNeurons.length, 'neuronsLite');
  return { neurons: rpcNeurons.length, epsilon: rpcParams.maxWeightChange, apiEpsilonParts: apiParams.maxWeightChange };
}

let lastRowLen = 0;

/** Alice resubmits her row (a change of 0, always within epsilon) and reads WeightsSet back. */
async function weightsSet (api, alice) {
  const row = (await api.call.bittensorApi.weights(0)).unwrap();
  lastRowLen = row.length;
  const { events } = await send(api.tx.bittensor.setWeights(row.map(([uid, w]) => [uid, w])), alice);
  const event = events.map((r) => r.event).find((e) => api.events.bittensor.WeightsSet.is(e));
  check(event, 'a WeightsSet event');
  // The fields as @polkadot/api names them on `event.data` (camelCased; a name that collides
  // with an Array method, as `entries` did up to runtime 105, is read as `entries_`).
  const names = event.data.names;
  const byName = Object.fromEntries(names.map((n) => [n, event.data[n]?.toJSON()]));
  return { fields: event.meta.fields.map((f) => f.name.toString()), names, byName };
}

const api = await withTimeout(ApiPromise.create({ provider: new WsProvider(url, 1000, {}, 30000), rpc, runtime, types, throwOnConnect: true }), 60000, 'connect');
const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
const before = { specVersion: api.runtimeVersion.specVersion.toNumber(), ...(await read(api)), event: await weightsSet(api, alice) };

// The upgrade, by sudo, on the same connection.
const code = readFileSync(wasmPath);
await send(api.tx.sudo.sudoUncheckedWeight(api.tx.system.setCode(`0x${code.toString('hex')}`), { refTime: 0, proofSize: 0 }), alice);
const deadline = Date.now() + 60000;
while (api.runtimeVersion.specVersion.toNumber() === before.specVersion) {
  if (Date.now() > deadline) throw new Error('the runtime did not change within 60 s');
  await new Promise((resolve) => setTimeout(resolve, 250));
}
// Let @polkadot/api finish re-decorating from the new metadata.
await new Promise((resolve) => setTimeout(resolve, 2000));
const after = { specVersion: api.runtimeVersion.specVersion.toNumber(), ...(await read(api)), event: await weightsSet(api, alice) };

// Only this chain's own: @polkadot/api 16.5 also names standard methods it does not know yet
// (chainHead_v1_*, transaction_v1_*), which are not this chain's to define.
const undecorated = logged.filter((l) => /not decorat/i.test(l) && /BittensorApi|bittensor_/.test(l));
check(undecorated.length === 0, `nothing left undecorated: ${undecorated.join(' | ')}`);
check(after.specVersion > before.specVersion, 'the spec version went up');
check(after.event.fields.includes('row_len') && after.event.byName.rowLen === lastRowLen,
  'WeightsSet { uid, row_len } reads as data.rowLen, the length of the row sent');
console.log(JSON.stringify({ before, after, undecorated }));
await api.disconnect();
process.exit(0);
