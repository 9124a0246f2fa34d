// The BitTensor chain's definitions for @polkadot/api, as chains on polkadot.js ship theirs:
//
//   import { ApiPromise, WsProvider } from '@polkadot/api';
//   import { rpc, runtime, types } from '@bittensor-chain/definitions';
//   const api = await ApiPromise.create({ provider: new WsProvider(url), rpc, runtime, types });
//   await api.rpc.bittensor.getNeurons();            // the node's bittensor_* methods
//   await api.call.bittensorApi.neurons();           // the runtime API, also after an upgrade
//
// `rpc` decorates the node's bittensor_* JSON-RPC methods (without it @polkadot/api warns
// "RPC methods not decorated"). Their answers are JSON (amounts and fractions as decimal
// strings): `.toJSON()` gives them exactly as the node sent them (lists as `Vec<Json>`, rows as
// `Vec<(u32, Text)>`, objects as `Json`). `runtime` declares the BittensorApi runtime
// API for every version the chain has had, so that a connection that stays open across a
// runtime upgrade keeps `api.call.bittensorApi` (@polkadot/api 16 re-decorates from the new
// metadata, and without these it drops the API: "Not decorating unknown runtime apis").
// `types` names the structs those methods return, with the shapes of the runtime's types.

const at = { name: 'at', type: 'Hash', isOptional: true };
const uid = { name: 'uid', type: 'u32' };

/** The node's `bittensor_*` JSON-RPC methods (the section is `bittensor`). */
export const rpc = {
  bittensor: {
    getNeurons: { description: 'Every neuron with its row, by uid.', params: [at], type: 'Vec<Json>' },
    getNeuronsLite: { description: 'Every neuron without its row (the lite metagraph), by uid.', params: [at], type: 'Vec<Json>' },
    getRows: {
      description: 'The rows of uids in the order given, or every row when uids is null.',
      params: [{ name: 'uids', type: 'Option<Vec<u32>>', isOptional: true }, at],
      type: 'Vec<Json>'
    },
    getNeuron: { description: 'Neuron uid.', params: [uid, at], type: 'Json' },
    getRanks: { description: 'The ranking of the block step of the block read.', params: [at], type: 'Vec<Json>' },
    getStake: {
      description: 'The stake of a neuron named by uid or SS58 account.',
      params: [{ name: 'who', type: 'Json' }, at],
      type: 'Json'
    },
    getWeights: { description: 'Row uid of the weight matrix: [uid, weight] pairs.', params: [uid, at], type: 'Vec<(u32, Text)>' },
    getParams: { description: 'The parameters, limits and counters.', params: [at], type: 'Json' },
    getMask: {
      description: 'Row uid of the competitive mask at a temperature in tokens.',
      params: [uid, { name: 'temperature', type: 'f64' }, at],
      type: 'Vec<Json>'
    },
    subscribeRanks: {
      description: 'The ranking at every new best (or finalized) block.',
      params: [{ name: 'blocks', type: 'Text', isOptional: true }],
      pubsub: ['ranks', 'subscribeRanks', 'unsubscribeRanks'],
      type: 'Json'
    },
    subscribeNeurons: {
      description: 'The lite metagraph at every new best (or finalized) block.',
      params: [{ name: 'blocks', type: 'Text', isOptional: true }],
      pubsub: ['neurons', 'subscribeNeurons', 'unsubscribeNeurons'],
      type: 'Json'
    }
  }
};

/** The structs the runtime API returns (pallet-bittensor's `types.rs`). */
export const types = {
  BittensorUid: 'u32',
  BittensorInflationMode: {
    _enum: { Fixed: 'Null', Adaptive: { target: 'Perbill', gain: 'Perbill', max: 'u128' } }
  },
  BittensorNeuronInfo: {
    uid: 'u32', account: 'AccountId', stake: 'u128', deposit: 'u128', rank: 'u128', weights: 'Vec<(u32, Perbill)>'
  },
  BittensorNeuronLite: {
    uid: 'u32', account: 'AccountId', stake: 'u128', deposit: 'u128', rank: 'u128', entries: 'u32'
  },
  BittensorNeuron: { account: 'AccountId', deposit: 'u128' },
  BittensorNeuronState: { uid: 'u32', stake: 'u128', rank: 'u128', entries: 'u32' },
  BittensorChainParams: {
    maxWeightChange: 'Perbill',
    inflationPerBlock: 'u128',
    inflationMode: 'BittensorInflationMode',
    maxNeurons: 'u32',
    maxWeightsPerRow: 'u32',
    registrationDeposit: 'u128',
    neuronCount: 'u32',
    nextUid: 'u32',
    totalWeightEntries: 'u64',
    totalMinted: 'u128'
  }
};

const v1 = {
  neurons: { description: 'Every registered neuron with its stake, deposit, rank and row, by uid.', params: [], type: 'Vec<BittensorNeuronInfo>' },
  neuron: { description: 'Neuron uid, or None.', params: [uid], type: 'Option<BittensorNeuronInfo>' },
  ranks: { description: 'The ranking of the last block step: (uid, R) in base units.', params: [], type: 'Vec<(u32, u128)>' },
  stake: { description: 'The stake of neuron uid in base units, or None.', params: [uid], type: 'Option<u128>' },
  uid_of: { description: 'The uid of an account, or None.', params: [{ name: 'account', type: 'AccountId' }], type: 'Option<u32>' },
  weights: { description: 'Row uid of the weight matrix, or None.', params: [uid], type: 'Option<Vec<(u32, Perbill)>>' },
  params: { description: 'The parameters, limits and counters.', params: [], type: 'BittensorChainParams' }
};
const v2 = {
  ...v1,
  neurons_lite: { description: 'Every registered neuron without its row.', params: [], type: 'Vec<BittensorNeuronLite>' },
  rows: {
    description: 'The rows of uids in the order given, or every row when uids is None.',
    params: [{ name: 'uids', type: 'Option<Vec<u32>>' }],
    type: 'Vec<(u32, Option<Vec<(u32, Perbill)>>)>'
  }
};
const v3 = {
  ...v2,
  neuron_records: { description: 'The records of every neuron, by uid, and their digest.', params: [], type: '([u8; 32], Vec<(u32, BittensorNeuron)>)' },
  neuron_states: { description: 'The stake, rank and row length of every neuron, and the records digest.', params: [], type: '([u8; 32], Vec<BittensorNeuronState>)' }
};

/** The `BittensorApi` runtime API, every version (runtime 100: 1, 103: 2, 104 on: 3). Methods
 * are named as the runtime exports them (snake_case, as polkadot.js's own definitions): without
 * the runtime APIs in the metadata, @polkadot/api calls `BittensorApi_<name>`. They are called
 * camelCased: `api.call.bittensorApi.neuronsLite()`. */
export const runtime = {
  BittensorApi: [
    { version: 3, methods: v3 },
    { version: 2, methods: v2 },
    { version: 1, methods: v1 }
  ]
};

export default { rpc, runtime, types };
