import { buildCloseloop } from "../../main.ts";
import { seedDemo } from "../sandbox/seed-demo.ts";
import { cliRuntime } from "./runtime.ts";

export async function seedDemoCommand(opts: { config?: string }): Promise<number> {
  const rt = cliRuntime(opts);
  if (rt.config.directory) {
    process.stderr.write(
      "closeloop seed-demo: the demo tickets name the demo directory's people; run it without a configured directory / 演示数据需要演示通讯录\n",
    );
    return 2;
  }
  const cl = await buildCloseloop(rt);
  try {
    const numbers = await seedDemo(cl.serviceAt, new Date());
    process.stdout.write(`${numbers.join("\n")}\n`);
    return 0;
  } finally {
    await cl.close();
  }
}
