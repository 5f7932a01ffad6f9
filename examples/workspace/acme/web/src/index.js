import { createServer } from 'node:http';
import { renderHome } from './home.js';

const port = Number(process.env.PORT ?? 3000);

createServer((request, response) => {
  response.writeHead(200, { 'content-type': 'text/html' });
  response.end(renderHome(request.url ?? '/'));
}).listen(port);
