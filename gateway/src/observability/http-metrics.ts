import type { RequestHandler } from 'express';
import type { GatewayMetrics } from './metrics.js';

/** Counts and times every HTTP request by method, route pattern and status. */
export function httpMetrics(metrics: GatewayMetrics): RequestHandler {
  return (request, response, next) => {
    const stop = metrics.httpDuration.startTimer({ method: request.method });
    response.on('finish', () => {
      const route =
        (request.route as { path?: string } | undefined)?.path ??
        (response.statusCode === 404 ? 'unmatched' : request.baseUrl || request.path);
      stop({ route });
      metrics.httpRequests.inc({ method: request.method, route, status: String(response.statusCode) });
    });
    next();
  };
}
