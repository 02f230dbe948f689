/**
 * What went wrong on the wire, in words a supplier can act on, with the code kept for searching.
 * Shared by the harness's own client (raw-client.ts) and the SSP's forwarder (ssp-forward.ts), so a
 * provider that misbehaves is named the same way whichever route the profile takes.
 */

/** Node's HTTP parser errors (llhttp HPE_* codes): what the provider sent that is not HTTP. */
const PARSER_ERRORS: Record<string, string> = {
  HPE_INVALID_CHUNK_SIZE: 'a chunk size that is not hexadecimal in a chunked body',
  HPE_INVALID_STATUS: 'an invalid status line',
  HPE_INVALID_CONSTANT: 'a status line that is not HTTP/1.x',
  HPE_INVALID_VERSION: 'an invalid HTTP version',
  HPE_INVALID_HEADER_TOKEN: 'an invalid character in a header',
  HPE_INVALID_CONTENT_LENGTH: 'an invalid Content-Length',
  HPE_UNEXPECTED_CONTENT_LENGTH: 'both Content-Length and Transfer-Encoding: chunked',
  HPE_INVALID_TRANSFER_ENCODING: 'an invalid Transfer-Encoding',
  HPE_HEADER_OVERFLOW: 'headers larger than the 16 KiB Node accepts',
  HPE_CR_EXPECTED: 'a line not ended by CRLF',
  HPE_LF_EXPECTED: 'a line not ended by CRLF',
  HPE_STRICT: 'a line not ended by CRLF',
  HPE_INVALID_EOF_STATE: 'an end of the stream in the middle of a message',
  HPE_CLOSED_CONNECTION: 'data after the connection was to close',
};

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed while the request was being sent',
  ETIMEDOUT: 'the connection attempt timed out',
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name does not resolve (yet)',
};

/** The provider's certificate, as the TLS client judged it (OpenSSL verify codes and Node's own). */
const CERTIFICATE_ERRORS: Record<string, string> = {
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another host name',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  CERT_NOT_YET_VALID: 'its TLS certificate is not valid yet',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate is not signed by a CA the profile trusts (tls.ca)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its TLS certificate is not signed by a CA the profile trusts (tls.ca)',
  UNABLE_TO_GET_ISSUER_CERT: 'its TLS certificate is not signed by a CA the profile trusts (tls.ca)',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate chains to a self-signed CA the profile does not trust (tls.ca)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed and not trusted (tls.ca)',
  CERT_REVOKED: 'its TLS certificate is revoked',
  CERT_SIGNATURE_FAILURE: 'its TLS certificate signature does not verify',
  ERR_TLS_CERT_SIGNATURE_ALGORITHM_UNSUPPORTED: 'its TLS certificate uses a signature algorithm that is not accepted',
};

/** One sentence for a socket, TLS or parser error; the code stays in it (tests and logs grep for it). */
export function describeTransportError(error: NodeJS.ErrnoException & { reason?: string; host?: string; cert?: { subjectaltname?: string; subject?: { CN?: string } } }): string {
  const code = error.code ?? '';
  if (code.startsWith('HPE_')) {
    const what = PARSER_ERRORS[code] ?? (error.reason ?? error.message.replace(/^Parse Error:\s*/, '')).toLowerCase();
    return `a malformed HTTP response: ${what} (${code})`;
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = error.cert?.subjectaltname ?? (error.cert?.subject?.CN ? `CN=${error.cert.subject.CN}` : undefined);
    return `${CERTIFICATE_ERRORS[code]}: it names ${names ?? 'no host'}, not ${error.host ?? 'the host called'} (${code})`;
  }
  if (CERTIFICATE_ERRORS[code]) return `${CERTIFICATE_ERRORS[code]} (${code})`;
  if (code.startsWith('ERR_SSL_') || code === 'EPROTO') return `the TLS handshake failed: ${error.message.split('\n')[0]} (${code})`;
  if (code === 'ECONNRESET' && /socket hang up/.test(error.message)) return 'the connection closed before any answer (socket hang up, ECONNRESET)';
  if (NETWORK_ERRORS[code]) return `${NETWORK_ERRORS[code]} (${code})`;
  return code ? `${error.message} (${code})` : error.message;
}

/**
 * How much of a response body has arrived, to say where a provider stopped: "after 100 of 1000
 * bytes" when it promised a Content-Length, "after 100 bytes of a chunked body" otherwise.
 */
export class BodyProgress {
  received = 0;
  constructor(
    readonly headers: Record<string, string | string[] | undefined>,
    readonly startedAt: number,
  ) {}

  /** The Content-Length the provider promised, when it gave a valid one. */
  get expected(): number | undefined {
    const value = this.headers['content-length'];
    return typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : undefined;
  }

  private get soFar(): string {
    const expected = this.expected;
    if (expected !== undefined) return `${this.received} of ${expected} bytes`;
    return `${this.received} bytes${/chunked/i.test(String(this.headers['transfer-encoding'] ?? '')) ? ' of a chunked body (no last chunk)' : ''}`;
  }

  /** The connection ended before the body did. */
  closedMidBody(): string {
    return `the connection closed mid-body after ${this.soFar}`;
  }

  /** The deadline for the whole answer passed while the body was still arriving (a trickle). */
  stillSending(deadlineMs: number): string {
    return `still sending its body after ${deadlineMs} ms (${this.soFar} so far)`;
  }
}

/** A byte count as people read it. */
export function bytesInWords(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
