import { createServer } from 'node:net';

/**
 * Asks the OS for a currently free TCP port on 127.0.0.1.
 *
 * The port is released before it is returned, so another process could grab it in between;
 * prefer binding servers to port 0 directly when the API allows it.
 */
export function getFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the bound port'));
        return;
      }
      server.close((err) => (err ? reject(err) : resolve(address.port)));
    });
  });
}
