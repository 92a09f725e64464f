// The size breakdown and layer table of each image a build made: the image that ships
// ("main") and, for the builder pattern, the build image its artefact was copied from.
import { Card } from "@/components/ui/card";
import { Bytes } from "@/components/ui/bytes";
import { EmptyState } from "@/components/ui/states";
import { LayerBreakdownChart } from "@/components/charts/layer-breakdown-chart";
import { LayerTable } from "@/components/builds/layer-table";
import { BUILD_IMAGE_COLOR, STRATEGY_COLORS } from "@/components/ui/palette";
import { BUILD_IMAGE, MAIN_IMAGE, type LayerImage } from "@/lib/layer-images";
import { shortId } from "@/lib/format/bytes";
import type { BuildDetailDto } from "@/lib/types";

type ImageSection = { key: LayerImage; title: string; imageId: string | null; size: number | null; layers: BuildDetailDto["layers"] };

const toSections = (build: BuildDetailDto): ImageSection[] => {
  const hasBuildImage = build.layers.some((l) => l.image === BUILD_IMAGE) || build.buildImageId !== null;
  const sections: ImageSection[] = [
    { key: MAIN_IMAGE, title: hasBuildImage ? "Runtime image (ships)" : "Image", imageId: build.imageId, size: build.totalSize, layers: build.layers.filter((l) => l.image === MAIN_IMAGE) },
  ];
  if (hasBuildImage)
    sections.push({ key: BUILD_IMAGE, title: "Build image (not shipped)", imageId: build.buildImageId, size: build.buildImageSize, layers: build.layers.filter((l) => l.image === BUILD_IMAGE) });
  return sections;
};

export const BuildImages = ({ build }: { build: BuildDetailDto }) => {
  const colour = STRATEGY_COLORS[build.strategy];
  return (
    <>
      {toSections(build).map((section) => (
        <Card
          key={section.key}
          title={section.title}
          actions={
            <span className="text-sm text-slate-600 dark:text-slate-300">
              <span className="mr-2 font-mono text-xs" title={section.imageId ?? undefined}>
                {shortId(section.imageId)}
              </span>
              <Bytes value={section.size} className="font-semibold" />
            </span>
          }
        >
          {section.layers.length === 0 ? (
            <EmptyState title="No layers recorded">{build.status === "SUCCEEDED" ? "The image could not be analysed." : "The build did not produce this image."}</EmptyState>
          ) : (
            <div className="space-y-4">
              <LayerBreakdownChart layers={section.layers} colour={section.key === MAIN_IMAGE ? colour : BUILD_IMAGE_COLOR} label={section.title} />
              <LayerTable layers={section.layers} caption={`Layers of the ${section.title.toLowerCase()}`} />
            </div>
          )}
        </Card>
      ))}
    </>
  );
};
