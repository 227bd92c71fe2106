/**
 * A worker thread of a parallel index build (parallelBuild.ts): analyses the chunks of articles
 * it is sent, in the order sent, with one `ParagraphAnalyser` (so its term ids continue across
 * them), and sends each analysis back with its typed arrays transferred, not copied.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Article } from "../corpus/article.js";
import { buffersOf, ParagraphAnalyser } from "./paragraphAnalysis.js";

const port = parentPort;
if (!port) throw new Error("analysisWorker: run as a worker thread (see parallelBuild.ts)");
const analyser = new ParagraphAnalyser((workerData as { acronyms: boolean }).acronyms);
port.on("message", (articles: Article[]) => {
  const batch = analyser.analyse(articles);
  port.postMessage(batch, buffersOf(batch));
});
