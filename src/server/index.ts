export { startServer, DEFAULT_STATIC_DIR, type ServerOptions, type RunningServer } from './startServer';
export { CONTENT_SECURITY_POLICY } from './securityHeaders';
export { OTLP_PATH } from './routes/otlp';
