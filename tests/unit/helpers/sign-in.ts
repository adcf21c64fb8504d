import { request } from 'node:http';

/** Opens a one-time sign-in link over a real socket; returns the Cookie header it set ('' when refused). */
export function signIn(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      res.resume();
      const set = res.headers['set-cookie']?.[0] ?? '';
      resolve(res.statusCode === 303 ? set.split(';')[0]! : '');
    })
      .on('error', reject)
      .end();
  });
}
