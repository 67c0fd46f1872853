// The document a route acts on, by id within the authenticated connection: an unknown id, or another account's, is 404.
import type { DocumentLink, DocumentStore } from '../documents/store.js';
import { notFound } from '../http/errors.js';

export async function documentOf(documents: DocumentStore, connectionId: string, id: string): Promise<DocumentLink> {
  const link = await documents.byId(connectionId, id);
  if (!link) throw notFound('No such document for this account.');
  return link;
}
