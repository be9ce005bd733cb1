// The plants a bench run covers: the defaults, one JSON file, or every JSON file of a folder
// (the public family in host-sim/plant/family/, or anyone's own set of incubators).
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPlantParams } from "../plant/load-plant-params";
import { PlantParamsError, type PlantParams } from "../plant/params";

export const FAMILY_DIR = fileURLToPath(new URL("../plant/family/", import.meta.url));

export interface BenchPlant {
  readonly name: string;
  readonly file: string | null;
  readonly note: string;
  readonly params: PlantParams;
}

function note(file: string): string {
  try {
    const c = (JSON.parse(readFileSync(file, "utf8")) as { _comment?: unknown })._comment;
    return typeof c === "string" ? c : "";
  } catch {
    return "";
  }
}

export function loadPlant(file: string): BenchPlant {
  return { name: basename(file, ".json"), file, note: note(file), params: loadPlantParams(file) };
}

export function loadPlants(plant: string | undefined, family: string | undefined): BenchPlant[] {
  if (family !== undefined) {
    let files: string[];
    try {
      files = readdirSync(family).filter((f) => f.endsWith(".json")).sort();
    } catch (err) {
      throw new PlantParamsError([`cannot read the folder: ${(err as Error).message}`], family);
    }
    if (files.length === 0) throw new PlantParamsError(["no .json plant files in it"], family);
    return files.map((f) => loadPlant(join(family, f)));
  }
  if (plant !== undefined) return [loadPlant(plant)];
  return [{ name: "defaults", file: null, note: "host-sim/plant/params.ts", params: loadPlantParams() }];
}
