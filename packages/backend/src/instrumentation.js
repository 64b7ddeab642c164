/*
 * OpenTelemetry for the backend, as https://backstage.io/docs/tutorials/setup-opentelemetry
 * sets it up: loaded before the backend with `--require`, so that the meters of the plugins
 * (account minting's `account_minting.*` among them) are the SDK's from the start.
 *
 * Metrics are served in Prometheus format on http://<host>:<port>/metrics, port
 * OTEL_EXPORTER_PROMETHEUS_PORT (9464 unless set), host OTEL_EXPORTER_PROMETHEUS_HOST
 * (every interface unless set). Traces and logs are exported only when
 * OTEL_TRACES_EXPORTER or OTEL_LOGS_EXPORTER asks for them.
 */
const { isMainThread } = require('node:worker_threads');

// Worker threads load this file too: one SDK, in the main thread, is enough.
if (isMainThread) {
  const { NodeSDK } = require('@opentelemetry/sdk-node');
  const { PrometheusExporter } = require('@opentelemetry/exporter-prometheus');

  const DEFAULT_PORT = 9464;
  const portSetting = process.env.OTEL_EXPORTER_PROMETHEUS_PORT;
  const port = portSetting === undefined ? DEFAULT_PORT : Number(portSetting);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(
      `OTEL_EXPORTER_PROMETHEUS_PORT must be a port number from 1 to 65535, not '${portSetting}'`,
    );
  }

  // The SDK's default for both is OTLP to a local collector, which most deployments lack.
  process.env.OTEL_TRACES_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';

  const sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME ?? 'backstage-backend',
    metricReaders: [
      new PrometheusExporter(
        { port, host: process.env.OTEL_EXPORTER_PROMETHEUS_HOST },
        // The backend runs on without its metrics, such as when another process has the port.
        error => {
          if (error) {
            console.warn(
              `OpenTelemetry: no metrics on port ${port} (OTEL_EXPORTER_PROMETHEUS_PORT): ${error.message}`,
            );
          }
        },
      ),
    ],
  });
  sdk.start();
  // For whoever loads this file in-process, such as its test, to stop the SDK.
  module.exports = { sdk };
}
