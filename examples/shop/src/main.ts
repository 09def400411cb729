export const main = () => "shop";
