import { inlineMedia, mediaKindOf, referencedMedia, type MediaKind, type MediaPart } from '../../model/media';
import { asString, isRecord } from './json';

/**
 * The media part shapes of chat messages, one reader for every importer:
 *  - OpenAI chat: {type:'image_url', image_url:{url}} (data URI or URL), {type:'input_audio',
 *    input_audio:{data, format}}, {type:'file', file:{filename, file_data, file_id}}
 *  - OpenAI Responses: {type:'input_image', image_url | file_id}, {type:'input_file', filename, file_data | file_url | file_id}
 *  - Anthropic: {type:'image' | 'document', source:{type:'base64', media_type, data} | {type:'url', url} | {type:'file', file_id}}
 *  - Gemini: {inline_data | inlineData: {mime_type | mimeType, data}}, {file_data | fileData: {mime_type, file_uri}}
 *  - OTel GenAI: {type:'blob', modality, mime_type, content}, {type:'uri', modality, mime_type, uri}, {type:'file', modality, mime_type, file_id}
 *  - Vercel AI SDK: {type:'image', image, mediaType | mimeType}, {type:'file', data, mediaType, filename}
 *  - LangChain: {type:'image' | 'audio' | 'file', source_type:'base64' | 'url', data | url, mime_type}
 * Returns undefined for anything else (text, tool calls …).
 */
export function mediaPartOf(p: Record<string, unknown>): MediaPart | undefined {
  const type = asString(p.type);
  const gemini = p.inline_data ?? p.inlineData;
  if (isRecord(gemini) && typeof gemini.data === 'string') {
    const mime = asString(gemini.mime_type) ?? asString(gemini.mimeType);
    return inlineMedia(mediaKindOf(mime), mime, gemini.data, asString(gemini.display_name) ?? asString(gemini.displayName));
  }
  const geminiFile = p.file_data ?? p.fileData;
  if (isRecord(geminiFile) && type === undefined) {
    const mime = asString(geminiFile.mime_type) ?? asString(geminiFile.mimeType);
    const uri = asString(geminiFile.file_uri) ?? asString(geminiFile.fileUri) ?? '';
    return referencedMedia(mediaKindOf(mime), mime, uri, asString(geminiFile.display_name) ?? asString(geminiFile.displayName));
  }
  switch (type) {
    case 'image_url':
    case 'input_image': {
      const url = isRecord(p.image_url) ? asString(p.image_url.url) : asString(p.image_url);
      if (url !== undefined) return referencedMedia('image', undefined, url);
      const id = asString(p.file_id);
      return id !== undefined ? referencedMedia('image', undefined, id) : { kind: 'image', note: 'no image data' };
    }
    case 'input_audio': {
      const a = isRecord(p.input_audio) ? p.input_audio : p;
      const format = asString(a.format);
      const mime = format ? `audio/${format}` : undefined;
      return typeof a.data === 'string' ? inlineMedia('audio', mime, a.data) : { kind: 'audio', ...(mime ? { mimeType: mime } : {}) };
    }
    case 'file':
    case 'input_file':
    case 'image':
    case 'audio':
    case 'video':
    case 'document':
    case 'blob':
    case 'uri':
      return typedPart(type, p);
    default:
      return undefined;
  }
}

function kindFor(type: string, p: Record<string, unknown>, mime: string | undefined): MediaKind {
  const modality = asString(p.modality)?.toLowerCase();
  if (modality === 'image' || modality === 'audio' || modality === 'video') return modality;
  if (type === 'image' || type === 'audio' || type === 'video') return type;
  return mediaKindOf(mime);
}

function typedPart(type: string, p: Record<string, unknown>): MediaPart | undefined {
  // OpenAI chat nests file parts: {type:'file', file:{…}}.
  const f = type === 'file' && isRecord(p.file) ? p.file : p;
  const source = isRecord(f.source) ? f.source : undefined;
  const mime =
    asString(source?.media_type) ??
    asString(f.mime_type) ??
    asString(f.mimeType) ??
    asString(f.mediaType) ??
    asString(f.media_type);
  const kind = kindFor(type, f, mime);
  const name = asString(f.filename) ?? asString(f.name) ?? asString(f.title);
  if (source) {
    const st = asString(source.type);
    if (st === 'base64' && typeof source.data === 'string') return inlineMedia(kind, mime, source.data, name);
    if (st === 'url' && typeof source.url === 'string') return referencedMedia(kind, mime, source.url, name);
    if (st === 'file' && typeof source.file_id === 'string') return referencedMedia(kind, mime, source.file_id, name);
    if (st === 'text') return undefined; // a plain-text document: read as text
    return { kind, ...(mime ? { mimeType: mime } : {}), ...(name ? { name } : {}) };
  }
  // Inline payloads under their various names.
  for (const key of ['file_data', 'data', 'content', 'image', 'base64'] as const) {
    const v = f[key];
    if (typeof v !== 'string' || (key === 'content' && type !== 'blob')) continue;
    if (v.startsWith('data:') || /^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return referencedMedia(kind, mime, v, name);
    // OTel GenAI `blob` content and the SDKs' `data` are base64 (type 'uri' carries a URI instead).
    if (type === 'uri') return referencedMedia(kind, mime, v, name);
    return inlineMedia(kind, mime, v, name);
  }
  for (const key of ['uri', 'url', 'file_url', 'file_id'] as const) {
    const v = f[key];
    if (typeof v === 'string') return referencedMedia(kind, mime, v, name);
  }
  // A bare {type:'image'} with nothing we can read is still an image the user should know about;
  // other bare types ('file' with unknown layout …) are left to the text reader.
  if (type === 'image' || type === 'audio' || type === 'video') return { kind, ...(mime ? { mimeType: mime } : {}), ...(name ? { name } : {}) };
  return undefined;
}
