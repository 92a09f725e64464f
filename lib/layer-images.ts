// The images a build records layers for (Layer.image): the image that ships, and for the
// builder pattern the build image its artefact was copied from. Pure: safe in client code.
export const MAIN_IMAGE = "main";
export const BUILD_IMAGE = "build";
export type LayerImage = typeof MAIN_IMAGE | typeof BUILD_IMAGE;
