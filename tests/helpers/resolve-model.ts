/**
 * Resolves one model reference in a process of its own, as a build does, and prints its files'
 * sha256 as JSON: for tests of processes that share a cache. Run with `node --import tsx`.
 */
import {envFrom} from "../../loaders/config.js";
import {resolveModel} from "../../loaders/models/resolve.js";

const model = await resolveModel(process.argv[2], envFrom());
process.stdout.write(JSON.stringify(model.files));
