export { JsonItemsReader, readJsonWithItems, type ItemMapper, type JsonWithItems } from './json-items-reader.js';
export { UnreadableJsonError } from './unreadable-json-error.js';
