/** What kind of failure a provider call ended in: the words and the hints are chosen by it. */
export type ProviderErrorKind =
  | 'dns'
  | 'refused'
  | 'tls'
  | 'timeout'
  | 'auth'
  | 'forbidden'
  | 'unknown-model'
  | 'not-found'
  | 'rate-limited'
  | 'server'
  | 'bad-request'
  | 'redirect'
  | 'bad-response'
  | 'too-large'
  | 'network'
  | 'cancelled';
