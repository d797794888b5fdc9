/**
 * Content negotiation of the FHIR facade (http://hl7.org/fhir/R4/http.html#mime-type): JSON only.
 * `_format` (json, application/json, application/fhir+json) wins over Accept; Accept may name
 * application/fhir+json, application/json (answered as such) or a wildcard covering them; no
 * Accept at all is FHIR JSON. Anything else (XML, Turtle, HTML) is 406.
 */

export const FHIR_JSON = 'application/fhir+json';
export const PLAIN_JSON = 'application/json';
export type FhirMediaType = typeof FHIR_JSON | typeof PLAIN_JSON;

const FORMATS: Record<string, FhirMediaType> = {
  json: FHIR_JSON,
  [FHIR_JSON]: FHIR_JSON,
  // The DSTU2 name some clients still send.
  'application/json+fhir': FHIR_JSON,
  [PLAIN_JSON]: PLAIN_JSON,
};

interface AcceptEntry {
  type: string;
  quality: number;
}

function acceptEntries(header: string): AcceptEntry[] {
  return header
    .split(',')
    .map((part) => {
      const [type = '', ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
      const q = parameters.find((parameter) => parameter.startsWith('q='));
      const quality = q === undefined ? 1 : Number(q.slice(2));
      return { type, quality: Number.isFinite(quality) ? quality : 0 };
    })
    .filter((entry) => entry.type !== '' && entry.quality > 0);
}

/** The media type to answer with, or null when the request accepts none we write (406). */
export function negotiatedMediaType(format: unknown, accept: string | undefined): FhirMediaType | null {
  if (format !== undefined) {
    const value = Array.isArray(format) ? format[0] : format;
    return typeof value === 'string' ? (FORMATS[value.trim().toLowerCase()] ?? null) : null;
  }
  if (accept === undefined || accept.trim() === '') return FHIR_JSON;
  const entries = acceptEntries(accept).sort((a, b) => b.quality - a.quality);
  for (const { type } of entries) {
    if (
      type === FHIR_JSON ||
      type === 'application/json+fhir' ||
      type === '*/*' ||
      type === 'application/*'
    ) {
      return FHIR_JSON;
    }
    if (type === PLAIN_JSON) return PLAIN_JSON;
  }
  return null;
}
