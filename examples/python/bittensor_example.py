#!/usr/bin/env python3
"""An ML team's loop on a BitTensor chain, in Python: a model's scores (a numpy array) become
the neuron's row of weights, sent through the hot key, walked toward within epsilon per block;
then rank and stake are read back.

Copy it and replace `model_scores` with your model. It uses py-substrate-interface 1.8.1 with
no custom types:

* extrinsics (`Proxy.proxy(cold, None, Bittensor.set_weights(..))`) are built from the
  chain's metadata;
* reads go through the node's `bittensor_*` JSON-RPC methods (`rpc_request`). The runtime API
  (`runtime_call('BittensorApi', ..)`) is not used: py-substrate-interface 1.8.1 cannot call
  runtime APIs from metadata v15 ("not found in registry").

Every socket read has a timeout (--timeout), so a dead node ends the script with an error
instead of a hang.

    python3 bittensor_example.py --url ws://127.0.0.1:9944 --hot //Eve//hot \\
        --cold 5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw

The cold key (which holds the stake) names the hot key once, for example with
`bittensor-cli --suri <cold> proxy add <hot account>`; the hot key needs a little TAO for fees.
The last line printed is a JSON summary.
"""

import argparse
import json
import math
import sys

import numpy as np
from websocket import WebSocketException
from substrateinterface import Keypair, SubstrateInterface
from substrateinterface.exceptions import SubstrateRequestException

ONE = 1_000_000_000  # a row's weights are parts of one billion (Perbill), summing to exactly this


def connect(url, timeout):
    """A connection whose every socket operation gives up after `timeout` seconds."""
    return SubstrateInterface(url=url, ws_options={"timeout": timeout}, auto_reconnect=False)


def rpc(substrate, method, params):
    """A `bittensor_*` method's result; an error answer raises with the node's code and message."""
    answer = substrate.rpc_request(method, params)
    if "error" in answer:
        raise RuntimeError(f"{method}: {answer['error']}")
    return answer["result"]


def parts(fraction):
    """'0.250000000' (the RPC's nine decimals) as parts of ONE, exactly."""
    whole, _, frac = fraction.partition(".")
    return int(whole) * ONE + int((frac + "000000000")[:9])


def to_row(uids, scores):
    """A numpy array of non-negative scores as a row: {uid: parts}, summing to exactly ONE.

    Each uid gets floor(score / total * ONE) parts; the parts still missing go one each to the
    largest remainders (ties to the lower uid), zeros are dropped: the chain's own
    normalization, so a row sent this way is stored as it is.
    """
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim != 1 or len(scores) != len(uids):
        raise ValueError("one score per uid")
    if not np.all(np.isfinite(scores)) or np.any(scores < 0) or scores.sum() == 0:
        raise ValueError("scores must be finite, non-negative and not all zero")
    exact = scores / scores.sum() * ONE
    floor = np.floor(exact).astype(np.int64)
    missing = ONE - int(floor.sum())
    order = sorted(range(len(uids)), key=lambda i: (-(exact[i] - floor[i]), uids[i]))
    for i in order[:missing]:
        floor[i] += 1
    return {int(u): int(p) for u, p in zip(uids, floor) if p > 0}


def distance_sq(a, b):
    """The squared L2 distance between two rows, in parts squared (exact integers)."""
    return sum((a.get(u, 0) - b.get(u, 0)) ** 2 for u in set(a) | set(b))


def step_toward(current, target, eps_parts):
    """The next row on the way from `current` to `target` that the chain accepts: `target` when
    it is within epsilon, else the point of the segment at distance epsilon, rounded to parts,
    shrunk by 0.1% until the chain's exact check `distance^2 <= epsilon^2` passes."""
    if distance_sq(current, target) <= eps_parts ** 2:
        return target
    if eps_parts == 0:
        raise RuntimeError("epsilon is 0: the chain freezes every row")
    uids = sorted(set(current) | set(target))
    c = np.array([current.get(u, 0) for u in uids], dtype=np.float64)
    t = np.array([target.get(u, 0) for u in uids], dtype=np.float64)
    f = eps_parts / math.sqrt(distance_sq(current, target))
    for _ in range(2000):
        point = np.maximum(c + f * (t - c), 0)
        if point.sum() > 0:
            row = to_row(uids, point)
            if row != current and distance_sq(current, row) <= eps_parts ** 2:
                return row
        f *= 0.999
    raise RuntimeError("epsilon is too small for any step toward the target")


def set_weights(substrate, hot, cold, row):
    """Sends `row` as the cold key's weights, signed by the hot key (its Weights proxy), and
    waits until it is in a block. Raises with the module error if the chain refused it."""
    inner = substrate.compose_call("Bittensor", "set_weights", {"weights": [[u, p] for u, p in sorted(row.items())]})
    call = substrate.compose_call("Proxy", "proxy", {"real": cold, "force_proxy_type": None, "call": inner})
    extrinsic = substrate.create_signed_extrinsic(call=call, keypair=hot)
    receipt = substrate.submit_extrinsic(extrinsic, wait_for_inclusion=True)
    if not receipt.is_success:
        raise RuntimeError(f"set_weights failed: {receipt.error_message}")
    # The proxy's extrinsic succeeds even when the call inside fails: read its result.
    for event in receipt.triggered_events:
        e = event.value["event"]
        if (e["module_id"], e["event_id"]) == ("Proxy", "ProxyExecuted"):
            result = e["attributes"]["result"]
            if isinstance(result, dict) and "Err" in result:
                raise RuntimeError(f"set_weights through the proxy failed: {result['Err']}")
    return receipt.block_hash


def model_scores(uids, seed):
    """A stand-in for your model: a score for each peer. Replace it."""
    rng = np.random.default_rng(seed)
    return rng.random(len(uids))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", default="ws://127.0.0.1:9944")
    ap.add_argument("--hot", required=True, help="the hot key's secret URI (e.g. a mnemonic, or //Eve//hot on a dev chain)")
    ap.add_argument("--cold", required=True, help="the cold key's SS58 address (its neuron's row is set)")
    ap.add_argument("--seed", type=int, default=7, help="the stand-in model's seed")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds before a silent socket is an error")
    ap.add_argument("--max-blocks", type=int, default=100)
    args = ap.parse_args()

    substrate = connect(args.url, args.timeout)
    hot = Keypair.create_from_uri(args.hot)
    me = rpc(substrate, "bittensor_getStake", [args.cold])
    uid = me["uid"]
    neurons = rpc(substrate, "bittensor_getNeuronsLite", [])
    uids = [n["uid"] for n in neurons]
    scores = model_scores(uids, args.seed)
    target = to_row(uids, scores)
    print(f"neuron {uid}: model scores for {len(uids)} peers; target row {target}")

    blocks = 0
    while True:
        current = {u: parts(w) for u, w in rpc(substrate, "bittensor_getWeights", [uid])}
        eps = parts(rpc(substrate, "bittensor_getParams", [])["maxWeightChange"])
        left = math.sqrt(distance_sq(current, target)) / ONE
        if current == target:
            break
        if blocks >= args.max_blocks:
            sys.exit(f"stopped after {blocks} blocks at distance {left:.9f}; run again to go on")
        block = set_weights(substrate, hot, args.cold, step_toward(current, target, eps))
        blocks += 1
        print(f"  step {blocks}: in block {block}, distance was {left:.9f}, epsilon {eps / ONE}")

    neuron = rpc(substrate, "bittensor_getNeuron", [uid])
    print(f"neuron {uid} at its target after {blocks} blocks: rank {neuron['rank']} TAO, stake {neuron['stake']} TAO")
    print(json.dumps({
        "uid": uid,
        "blocks": blocks,
        "scores": [float(s) for s in scores],
        "uids": uids,
        "target": {str(u): p for u, p in sorted(target.items())},
        "weights": neuron["weights"],
        "rank": neuron["rank"],
        "stake": neuron["stake"],
    }))


if __name__ == "__main__":
    try:
        main()
    except (SubstrateRequestException, WebSocketException, RuntimeError, ValueError, OSError) as e:
        sys.exit(f"error: {e}")
