import type { RetrievedDocument } from '../../model/types';
import { asNumber, asString, isRecord, maybeJson } from './json';

/**
 * The documents a retrieval span returned, from the shapes its output takes:
 *  - OpenInference `retrieval.documents.N.document.{id, content, score, metadata}` (unflattened to
 *    a list of `{document: {…}}` or of the documents themselves; metadata is a JSON string)
 *  - LangChain `Document` lists `[{page_content, metadata, id?, type: 'Document'}]` (LangSmith
 *    retriever runs as `{documents: […]}`, Langfuse retriever observations, MLflow RETRIEVER spans),
 *    also serialised `{lc: 1, id: [… 'Document'], kwargs: {page_content, metadata}}`
 *  - generic `{id, text | content, score}` lists (OTel GenAI `gen_ai.retrieval.documents`)
 * Returns undefined unless every item is a document with text: an arbitrary output stays an output.
 */
export function retrievedDocuments(output: unknown): RetrievedDocument[] | undefined {
  let v = maybeJson(output);
  if (isRecord(v)) v = maybeJson(v.documents ?? v.docs ?? v.results ?? v.output);
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const docs: RetrievedDocument[] = [];
  for (const item of v) {
    const d = documentOf(maybeJson(item));
    if (!d) return undefined;
    docs.push(d);
  }
  return docs;
}

function documentOf(raw: unknown): RetrievedDocument | undefined {
  if (!isRecord(raw)) return undefined;
  let d = isRecord(raw.document) ? raw.document : raw;
  if (d.lc === 1 && isRecord(d.kwargs)) d = d.kwargs;
  const content = asString(d.content) ?? asString(d.page_content) ?? asString(d.pageContent) ?? asString(d.text);
  if (content === undefined) return undefined;
  const doc: RetrievedDocument = { content };
  const id = d.id;
  if (typeof id === 'string' || typeof id === 'number') doc.id = String(id);
  const score = asNumber(d.score);
  if (score !== undefined) doc.score = score;
  const metadata = maybeJson(d.metadata);
  if (isRecord(metadata) && Object.keys(metadata).length) doc.metadata = metadata;
  return doc;
}
