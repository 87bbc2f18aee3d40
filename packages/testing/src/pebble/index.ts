/**
 * The in-memory Pebble behind Context containers (and, later, the simulator's containers).
 *
 * @module
 */
export { MissingExecHandlerError } from './errors.js';
export { type ExecCall, type ExecHandler, type ExecResult, findExecHandler } from './exec-handler.js';
export { MemoryExecProcess } from './memory-exec-process.js';
export { type FileEntry, MemoryFilesystem } from './memory-filesystem.js';
export { MemoryPebble, type MemoryPebbleOptions, type SentSignal } from './memory-pebble.js';
export { type CheckInfoInit, makeCheckInfo, makeNotice, type NoticeInit } from './pebble-records.js';
export { combineLayers, type LabelledLayer, layerFromYaml, planOf } from './plan-rules.js';
