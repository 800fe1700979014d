export { JsonItemsReader, readJsonWithItems, type ItemMapper, type JsonWithItems } from './json-items-reader.js';
export { MalformedJsonError } from './malformed-json-error.js';
