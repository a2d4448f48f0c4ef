/**
 * A self-signed P-256 certificate for 127.0.0.1 and its key, for the https cases on loopback
 * (the client trusts exactly this certificate). Test data only: it protects nothing.
 * Made with `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -days 36500 -nodes
 * -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1`.
 */

export const TLS_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgdAmFSb6cUEQFsycF
Vk/qnkc+kiXk2WUq9bPODOMAo4WhRANCAARirk9H4hHPLZ+ICP2v/GcmEoy9JsMG
4u/7ygD+365Owd5Le7NrF1d/3mawnDjYaIOrLHpy+QCLYf0v+QZiVvV5
-----END PRIVATE KEY-----
`;

export const TLS_CERT = `-----BEGIN CERTIFICATE-----
MIIBkDCCATagAwIBAgIUbXs3c51iXPPVtnBknVeV0mUzICkwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTIwNjEyMjIxNVoYDzIxMjYxMTEy
MTIyMjE1WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAARirk9H4hHPLZ+ICP2v/GcmEoy9JsMG4u/7ygD+365Owd5Le7NrF1d/
3mawnDjYaIOrLHpy+QCLYf0v+QZiVvV5o2QwYjAdBgNVHQ4EFgQUrEWdWPwfS31B
x4B+R5ZPDufApcAwHwYDVR0jBBgwFoAUrEWdWPwfS31Bx4B+R5ZPDufApcAwDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0gAMEUC
IQCPjn5hK/A2iQMZP1SXHdb9xv05MKOXesMbH/vKcxBdMAIgEoYrimXPlHLTxWPZ
qqByM3dObq0zKxXMRb0T6MaAFhM=
-----END CERTIFICATE-----
`;
