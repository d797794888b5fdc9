import type { Logger } from 'pino';

/** Where a value sits in an answer's `data`: response names (aliases) and list indexes. */
export type ResponsePath = ReadonlyArray<string | number>;

interface Offer {
  path: ResponsePath;
  link: string;
  /** One hand-out per visit: the same visit answered twice (aliases) is recorded once. */
  key: string;
  record: () => Promise<void>;
}

/**
 * The join links one GraphQL answer may hand out (LINK_ISSUED). The `accessLinkURL` resolver
 * offers each link it resolves, with the path it resolves at; once the answer is complete, only
 * the links still at their path are handed out: a link never selected is never offered, and one
 * taken out again by an error beside it (a non-null sibling that failed nulls the visit) is not
 * in the answer. One per operation: per HTTP request, per subscription (its pushes one at a time).
 */
export class LinkHandOuts {
  private offers: Offer[] = [];

  offer(path: ResponsePath, link: string, key: string, record: () => Promise<void>): void {
    this.offers.push({ path, link, key, record });
  }

  /**
   * The recording of what `data` (a complete answer) hands out, each visit once; the offers are
   * cleared for the next answer. Taken at once, run when the caller chooses: it never rejects.
   */
  take(data: unknown, logger: Logger): () => Promise<void> {
    const offers = this.offers;
    this.offers = [];
    // Only the recordings are kept until they run (after an instant's last push, for a push).
    const keys = new Set<string>();
    const records: Array<() => Promise<void>> = [];
    for (const offer of offers) {
      if (!keys.has(offer.key) && valueAt(data, offer.path) === offer.link) {
        keys.add(offer.key);
        records.push(offer.record);
      }
    }
    return async () => {
      for (const record of records) {
        try {
          await record();
        } catch (error) {
          logger.warn({ err: error }, 'link handed out not recorded');
        }
      }
    };
  }
}

function valueAt(data: unknown, path: ResponsePath): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}
