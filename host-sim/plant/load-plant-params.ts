import { readFileSync } from "node:fs";
import { DEFAULT_PLANT_PARAMS, PlantParamsError, parsePlantParams, type PlantParams } from "./params";

/** The defaults, or the defaults with a JSON file merged over them. */
export function loadPlantParams(jsonPath?: string): PlantParams {
  if (jsonPath === undefined) return DEFAULT_PLANT_PARAMS;
  let text: string;
  try {
    text = readFileSync(jsonPath, "utf8");
  } catch (err) {
    throw new PlantParamsError([`cannot read the file: ${(err as Error).message}`], jsonPath);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new PlantParamsError([`not valid JSON: ${(err as Error).message}`], jsonPath);
  }
  return parsePlantParams(parsed, jsonPath);
}
